// HNASKit builds on the tensor engine and re-exports it: a plugin that imports HNASKit sees
// tensors, layers and optimisers without a second import.
@_exported import HNASEngine
