// Fused layer kernels: linear with bias and activation, softmax cross-entropy, batch norm.
