# The optimizers post's "Losses and loss functions" section, as R code. torch_manual_seed(1) (the post set
# none) makes the run reproducible.
library(torch)

torch_manual_seed(1)

x <- torch_randn(c(3, 2, 3))
y <- torch_zeros(c(3, 2, 3))

nnf_mse_loss(x, y)

loss <- nn_mse_loss()

loss(x, y)
