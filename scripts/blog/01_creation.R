# The post's "Creation" section (Tensors), as R code. torch_manual_seed(1) makes torch_randn reproducible;
# the device = "cuda" snippet runs only where cuda_is_available() (see 01_creation.py).
library(torch)

torch_manual_seed(1)

# a 1d vector of length 2
t <- torch_tensor(c(1, 2))
t

# also 1d, but of type boolean
t <- torch_tensor(c(TRUE, FALSE))
t

# a 3x3 tensor (matrix)
t <- torch_tensor(rbind(c(1, 2, 0), c(3, 0, 0), c(4, 5, 6)))
t

# also 3x3
t <- torch_tensor(matrix(1:9, ncol = 3, byrow = TRUE))
t

# a 3x3 tensor of standard-normally distributed values
t <- torch_randn(3, 3)
t

# a 4x2x2 (3d) tensor of zeroes
t <- torch_zeros(4, 2, 2)
t

t <- torch_tensor(c(3, 5, 7))
t$dtype

t <- torch_tensor(1L)
t$dtype

t <- torch_tensor(2, dtype = torch_double())
t$dtype

t$device

if (cuda_is_available()) {
  t <- torch_tensor(2, device = "cuda")
  t$device
} else {
  cat("[GPU snippet skipped: cuda_is_available() is FALSE]\n")
}
