# The post's "Operations on tensors" section, as R code.
library(torch)

t1 <- torch_tensor(rbind(c(1, 2), c(3, 4), c(5, 6)))
t2 <- t1$clone()

t1$add(t2)

t1

t1$add_(t1)

# now t1 has been modified
t1

t3 <- t1$add(t1)

t3
