# The post's "Reshape with copy" section, as R code. The post's `t2$view(6) # error!` stops an R script;
# here the error is caught and its message printed, as the hand port does.
library(torch)

t1 <- torch_tensor(rbind(c(1, 2), c(3, 4), c(5, 6)))

t2 <- t1$t()

tryCatch(
  t2$view(6), # error!
  error = function(e) cat("Error: ", conditionMessage(e), "\n", sep = "")
)

t3 <- t2$contiguous()

t3$view(6)

ptr2 <- t2$storage()$data_ptr()

t4 <- t2$reshape(6)

ptr4 <- t4$storage()$data_ptr()
ptr2 == ptr4
