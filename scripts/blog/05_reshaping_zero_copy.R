# The post's "Reshaping tensors: zero-copy reshaping" section, as R code.
library(torch)

torch_manual_seed(1)

t1 <- torch_randint(low = 3, high = 7, size = c(3, 3, 3))
t1$size()

t2 <- t1$unsqueeze(dim = 1)
t2$size()

t3 <- t1$unsqueeze(dim = 2)
t3$size()

t4 <- t3$squeeze()
t4$size()

t1 <- torch_tensor(rbind(c(1, 2), c(3, 4), c(5, 6)))
t1

t2 <- t1$view(c(2, 3))
t2

t4 <- t1$view(c(-1, 6))

t4$size()

t4

ptr1 <- t1$storage()$data_ptr()

ptr2 <- t2$storage()$data_ptr()
ptr1 == ptr2

t1$stride()

t2$stride()

t1 <- torch_tensor(rbind(c(1, 2), c(3, 4), c(5, 6)))
t1
t1$stride()

t2 <- t1$t()
t2
t2$stride()
