// Fused optimizer updates over flat float32 buffers (see src/backend/wasm/optimizer_update.ts).
