/** Weight initialization schemes (torch.nn.init). */
export {};
