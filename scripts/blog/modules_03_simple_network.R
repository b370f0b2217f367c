# The modules post's "Simple network using modules", as R code. torch_manual_seed(1) (the post set none)
# makes the run reproducible; `print(model)` after the model's definition is added (the post does not print
# it), so that R torch's print of a module is part of the output.
library(torch)

torch_manual_seed(1)

### generate training data -----------------------------------------------------

# input dimensionality (number of input features)
d_in <- 3
# output dimensionality (number of predicted features)
d_out <- 1
# number of observations in training set
n <- 100


# create random data
x <- torch_randn(n, d_in)
y <- x[, 1, NULL] * 0.2 - x[, 2, NULL] * 1.3 - x[, 3, NULL] * 0.5 + torch_randn(n, 1)


### define the network ---------------------------------------------------------

# dimensionality of hidden layer
d_hidden <- 32

model <- nn_sequential(
  nn_linear(d_in, d_hidden),
  nn_relu(),
  nn_linear(d_hidden, d_out)
)

print(model)

### network parameters ---------------------------------------------------------

learning_rate <- 1e-4

### training loop --------------------------------------------------------------

for (t in 1:200) {

  ### -------- Forward pass --------

  y_pred <- model(x)

  ### -------- compute loss --------
  loss <- (y_pred - y)$pow(2)$sum()
  if (t %% 10 == 0)
    cat("Epoch: ", t, "   Loss: ", loss$item(), "\n")

  ### -------- Backpropagation --------

  # Zero the gradients before running the backward pass.
  model$zero_grad()

  # compute gradient of the loss w.r.t. all learnable parameters of the model
  loss$backward()

  ### -------- Update weights --------

  # Wrap in with_no_grad() because this is a part we DON'T want to record
  # for automatic gradient computation
  # Update each parameter by its `grad`

  with_no_grad({
    model$parameters %>% purrr::walk(function(param) param$sub_(learning_rate * param$grad))
  })

}
