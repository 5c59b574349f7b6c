#pragma once

// The keys under which the original project (polsess_separation, whose models wrap SpeechBrain
// lobes) stores each of SepLab's parameters and buffers, so that a state_dict moves in either
// direction without renaming by hand.
//
// - dprnn: SepLab's modules already carry SpeechBrain's names (encoder.conv1d,
//   separator.dual_mdl.<i>.intra_mdl.mdl.rnn, ..., decoder); only the order inside a dual-path
//   block differs, and the export follows SpeechBrain's (intra/inter RNN, norms, linears).
// - convtasnet: the original wrapper calls the mask network `mask_net`, SpeechBrain's Conv1d
//   wraps the torch convolution as `.conv`, and its MaskNet names the temporal blocks
//   `temporalblock_<repeat>_<block>` with their layers in `layers` and `layers.DSconv` (where the
//   gLN after the second PReLU is `act_0`: SpeechBrain appends it under the already used name
//   "act"). See originalNames() in the .cpp for the table.
// - sepformer: SepLab's modules carry the original wrapper's names (encoder, masknet, decoder)
//   and SpeechBrain's below them (dual_mdl.<i>.intra_mdl.mdl.layers.<j>.self_att.att.
//   in_proj_weight, pos_ffn.ffn.0, norm1.norm, ..., pos_enc.pe with positional encoding).
// - spmamba: SepLab's modules carry SPMamba's names and mamba_ssm's inside each BiMamba
//   (blocks.<i>.intra_mamba.forward_blocks.0.norm.weight, ...mixer.in_proj.weight, ...mixer.A_log).

#include "core/models/interop/state_dict_io.h"

#include <string>
#include <vector>

namespace seplab::models {
class Separator;
}

namespace seplab::models::interop {

struct TensorName
{
    std::string seplab;   // as named_parameters() / named_buffers() report it
    std::string original; // the original project's state_dict key
};

// Every parameter and buffer of `model` with its original key, in the order the original
// model's state_dict() lists them. Throws std::invalid_argument for a model type that has no
// original counterpart.
std::vector<TensorName> originalNames(const Separator &model);

// The model's parameters and buffers under their original keys (CPU copies).
StateDict exportOriginalStateDict(const Separator &model);

// Loads `stateDict` (original keys) into `model`. Nothing is changed unless every key matches:
// throws std::runtime_error with one sentence naming `source` and the key for a missing key, an
// unexpected key or a shape mismatch. Values are converted to the model's dtype.
void importOriginalStateDict(Separator &model,
                             const StateDict &stateDict,
                             const std::string &source);

} // namespace seplab::models::interop
