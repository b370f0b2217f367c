# The optimizers post's "Optimizers" section, as R code, in the order the post shows it.
# torch_manual_seed(1) (the post set none) makes the run reproducible.
library(torch)

torch_manual_seed(1)

data <- torch_randn(1, 3)

model <- nn_linear(3, 1)
model$parameters

optimizer <- optim_adam(model$parameters, lr = 0.01)
optimizer

optimizer$param_groups[[1]]$params

out <- model(data)
out$backward()

optimizer$param_groups[[1]]$params
model$parameters

optimizer$step()

optimizer$param_groups[[1]]$params
model$parameters
