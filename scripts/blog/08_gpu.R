# The post's "Running on GPU" section, as R code.
library(torch)

cuda_is_available()

cuda_device_count()

if (cuda_is_available()) {
  device <- torch_device("cuda")

  t <- torch_ones(c(2, 2), device = device)

  t2 <- t$cuda()
  print(t2$device)

  t3 <- t2$cpu()
  t3$device
} else {
  cat("[GPU snippet skipped: cuda_is_available() is FALSE]\n")
}
