// Translation unit that owns the precompiled <torch/torch.h> (see cmake/SeplabTargets.cmake).
// Other targets reuse its PCH; this file itself defines nothing.
