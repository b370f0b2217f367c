# The post's "Indexing and slicing: the R-like part" section, as R code.
library(torch)

t <- torch_tensor(rbind(c(1, 2, 3), c(4, 5, 6)))
t

# a single value
t[1, 1]

# first row, all columns
t[1, ]

# first row, a subset of columns
t[1, 1:2]

t <- torch_tensor(rbind(c(1, 2, 3), c(4, 5, 6)))

# 2x3
t$size()

# just a single row: will be returned as a vector
t[1, 1:2]$size()

# a single element
t[1, 1]$size()

t[1, 1:2, drop = FALSE]$size()

t[1, 1, drop = FALSE]$size()
