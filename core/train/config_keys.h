#pragma once

// The keys of the training config that SepLab reads, shared by the reader (train_config.cpp)
// and the writer of the resolved config (resolved_config.cpp). Internal to core/train.

#include <string>
#include <vector>

namespace seplab::train::config_keys {

// Every key SepLab reads, in the order the resolved config writes them.
inline const std::vector<std::string> kDataKeys = {"dataset_type",
                                                   "data_root",
                                                   "batch_size",
                                                   "task",
                                                   "train_max_samples",
                                                   "val_max_samples",
                                                   "num_workers",
                                                   "prefetch_factor",
                                                   "subset",
                                                   "subset_seed",
                                                   "segment_seconds"};
inline const std::vector<std::string> kTrainingKeys = {"lr",
                                                       "weight_decay",
                                                       "grad_clip_norm",
                                                       "lr_factor",
                                                       "lr_patience",
                                                       "num_epochs",
                                                       "use_amp",
                                                       "amp_eps",
                                                       "amp_dtype",
                                                       "early_stopping_patience",
                                                       "validation_variants",
                                                       "per_variant_validation",
                                                       "seed",
                                                       "grad_accumulation_steps",
                                                       "save_all_checkpoints",
                                                       "curriculum_learning"};

} // namespace seplab::train::config_keys
