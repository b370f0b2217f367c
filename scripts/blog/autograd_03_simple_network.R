# The autograd post's "The simple network, now using autograd" snippet, as R code. The data and weights
# come first, as the post's complete code creates them, from torch_manual_seed(1) (the post set no seed).
library(torch)

torch_manual_seed(1)

n <- 100
d_in <- 3
d_hidden <- 32
d_out <- 1

x <- torch_randn(n, d_in)
y <- x[, 1, NULL] * 0.2 - x[, 2, NULL] * 1.3 - x[, 3, NULL] * 0.5 + torch_randn(n, 1)

w1 <- torch_randn(d_in, d_hidden, requires_grad = TRUE)
w2 <- torch_randn(d_hidden, d_out, requires_grad = TRUE)
b1 <- torch_zeros(1, d_hidden, requires_grad = TRUE)
b2 <- torch_zeros(1, d_out, requires_grad = TRUE)

y_pred <- x$mm(w1)$add(b1)$clamp(min = 0)$mm(w2)$add(b2)
loss <- (y_pred - y)$pow(2)$sum()
loss$backward()
