# The post's "Indexing and slicing: What to look out for" section, as R code.
library(torch)

torch_manual_seed(1)

t <- torch_tensor(rbind(c(1, 2, 3), c(4, 5, 6)))

t[1, -1]

t[ , -2:-1]

t <- torch_tensor(1:10)
t[2:10:2]

t <- torch_randint(-7, 7, size = c(2, 2, 2))
t

t[.., 1]

t[2, ..]
