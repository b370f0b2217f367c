# The post's "Conversion to built-in R data types" section, as R code.
library(torch)

t <- torch_tensor(matrix(1:9, ncol = 3, byrow = TRUE))
as_array(t)

t <- torch_tensor(c(1, 2, 3))
class(as_array(t))

t <- torch_ones(c(2, 2))
class(as_array(t))

t <- torch_ones(c(2, 2, 2))
class(as_array(t))

if (cuda_is_available()) {
  t <- torch_tensor(2, device = "cuda")
  as.integer(t$cpu())
} else {
  cat("[GPU snippet skipped: cuda_is_available() is FALSE]\n")
}
