# The autograd post's "Autograd basics" section, as R code, in the order the post shows it.
library(torch)

x <- torch_ones(2, 2, requires_grad = TRUE)

y <- x$mean()

y$grad_fn

y$backward()

x$grad
