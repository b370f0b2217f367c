# The post's "Broadcasting" section, as R code. The post's failing additions stop an R script; here the
# errors are caught and their messages printed, as the hand port does.
library(torch)

torch_manual_seed(1)

t1 <- torch_randn(c(3, 5))

t1 + 22

t1 <- torch_randn(c(3, 5))

t1 + torch_tensor(c(22))

t1 <- torch_randn(c(3, 5))
t2 <- torch_randn(c(5, 5))

tryCatch(
  t1$add(t2), # error
  error = function(e) cat("Error: ", conditionMessage(e), "\n", sep = "")
)

# t1, shape:     8  1  6  1
# t2, shape:        7  1  5

# t1, shape:     8  1  6  1
# t2, shape:        7  6  5

# t1, shape:     8  1  6  1
# t2, shape:     1  7  1  5

# t1, shape:     8  1  6  1
# t2, shape:     8  7  1  5

t1 <- torch_randn(c(3, 5))
t2 <- torch_randn(c(5, 5))

tryCatch(
  t1$add(t2),
  error = function(e) cat("Error: ", conditionMessage(e), "\n", sep = "")
)

t1 <- torch_randn(c(3, 5))
t2 <- torch_randn(c(1, 5))

t1$add(t2)

t1 <- torch_randn(c(3, 5))
t2 <- torch_randn(c(5))

t1$add(t2)

t1 <- torch_randn(c(1, 5))
t2 <- torch_randn(c(3, 1))

t1$add(t2)

t1 <- torch_tensor(c(0, 10, 20, 30))

t2 <- torch_tensor(c(1, 2, 3))

t1$view(c(4, 1)) * t2
