# The modules post's "Container modules (\"models\")" section, as R code, in the order the post shows it.
# The post calls the model on the preceding section's `data`; here `data` is drawn first, after
# torch_manual_seed(1). The GPU snippet runs only where cuda_is_available(), as the hand port does.
library(torch)

torch_manual_seed(1)

data <- torch_randn(10, 3)

model <- nn_sequential(
    nn_linear(3, 16),
    nn_relu(),
    nn_linear(16, 1)
)

model$parameters

model[[1]]$bias

out <- model(data)

out$backward(gradient = torch_tensor(10)$`repeat`(10)$unsqueeze(1)$t())

# e.g.
model[[1]]$bias$grad

if (cuda_is_available()) {
  model$cuda()
  model[[1]]$bias$grad
} else {
  cat("[GPU snippet skipped: cuda_is_available() is FALSE]\n")
}
