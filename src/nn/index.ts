/** Neural-network modules and layers (torch.nn). */
export {};
