# The modules post's "Base modules (\"layers\")" section, as R code, in the order the post shows it.
# torch_manual_seed(1) (the post set none) makes the run reproducible. The post's `out$backward()` (an
# error) stops an R script; here the error is caught and its message printed, as the hand port does.
library(torch)

torch_manual_seed(1)

l <- nn_linear(3, 1)

l$parameters

data  <- torch_randn(10, 3)
out <- l(data)

out$data()

out$grad_fn

l$weight$grad
l$bias$grad

tryCatch(
  out$backward(),
  error = function(e) cat("Error: ", conditionMessage(e), "\n", sep = "")
)

d_avg_d_out <- torch_tensor(10)$`repeat`(10)$unsqueeze(1)$t()
out$backward(gradient = d_avg_d_out)

l$weight$grad
l$bias$grad
