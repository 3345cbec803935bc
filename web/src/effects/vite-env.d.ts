/// <reference types="vite/client" />
// For the `?url` imports of the noise suppressor's worklet and wasm (hashed files Vite emits).
