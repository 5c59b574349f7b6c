#pragma once

// Reads a model's config section (JSON converted from YAML) into a typed struct: every key
// has a default, unknown keys are rejected by name, and a value of the wrong type names the key.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

namespace seplab::models {

// The hyperparameter that holds a model's source count, which the task decides (ES/EB one, SB
// two): "C" for the SpeechBrain models, the original's "n_srcs" for SPMamba.
inline std::string sourcesKey(const std::string &modelType)
{
    return modelType == "spmamba" ? "n_srcs" : "C";
}

class ParamReader
{
public:
    ParamReader(std::string model, const nlohmann::json &params);

    int integer(const std::string &key, int fallback);
    double number(const std::string &key, double fallback);
    bool boolean(const std::string &key, bool fallback);
    std::string text(const std::string &key, const std::string &fallback);
    // Keys the original configs carry but the model does not use (e.g. SepFormer's hop_size).
    void ignore(const std::string &key);
    // Throws for any key that was never read or ignored. Call after reading every key.
    void rejectUnknownKeys() const;

    [[noreturn]] void fail(const std::string &key, const std::string &problem) const;

    // Range checks several models share; each failure names the key and the value it got.
    void requireAtLeastOne(std::initializer_list<std::pair<const char *, int>> values) const;
    void requireEvenAtLeast(const std::string &key, int value, int minimum) const;
    // The encoder always hops kernel_size/2 (spec §0); any other decoder stride changes the
    // output length and silently breaks training in the originals, so it is refused here.
    void requireHalfKernelStride(int kernelSize, int stride) const;
    void requireDropout(double value) const;

private:
    const nlohmann::json *find(const std::string &key);

    std::string m_model;
    nlohmann::json m_params;
    std::set<std::string> m_seen;
};

} // namespace seplab::models
