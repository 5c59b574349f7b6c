#include "core/models/interop/state_dict_io.h"

#include "core/models/interop/pickle_reader.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <torch/serialize.h>
#include <torch/torch.h>

namespace seplab::models::interop {

namespace {

constexpr const char *kCompiledPrefix = "_orig_mod.";

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

void saveStateDict(const std::string &path, const StateDict &stateDict)
{
    // torch::pickle_save writes the same zip archive as Python's torch.save; a c10::Dict keeps
    // insertion order and loads in Python as a plain dict, which load_state_dict accepts.
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto &item : stateDict) {
        // A fresh contiguous copy: a view would otherwise drag its whole base storage along.
        dict.insert(item.key(), item.value().detach().to(torch::kCPU).contiguous().clone());
    }
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));

    const std::filesystem::path target(path);
    if (!target.parent_path().empty()) {
        std::error_code ignored;
        std::filesystem::create_directories(target.parent_path(), ignored);
    }
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        out.close();
        if (!out) {
            std::remove(temporary.c_str());
            throw std::runtime_error(path + ": could not be written.");
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, target, error);
    if (error) {
        std::remove(temporary.c_str());
        throw std::runtime_error(path + ": could not be replaced (" + error.message() + ").");
    }
}

StateDict loadStateDict(const std::string &path)
{
    const PyValuePtr root = loadTorchFile(path);
    const PyValue *dict = root.get();
    if (dict->kind != PyValue::Kind::Dict)
        throw std::runtime_error(path + ": holds " + dict->describe()
                                 + ", not a state_dict or a checkpoint dict.");
    if (const PyValue *inner = dict->find("model_state_dict")) {
        if (inner->kind != PyValue::Kind::Dict)
            throw std::runtime_error(path + ": model_state_dict is " + inner->describe()
                                     + ", not a state_dict.");
        dict = inner;
    }

    bool compiled = false;
    for (const auto &entry : dict->entries) {
        if (entry.first->kind == PyValue::Kind::String
            && startsWith(entry.first->text, kCompiledPrefix))
            compiled = true;
    }

    StateDict stateDict;
    for (const auto &entry : dict->entries) {
        if (entry.first->kind != PyValue::Kind::String)
            throw std::runtime_error(path + ": the state_dict has a key that is "
                                     + entry.first->describe() + ", not a string.");
        std::string key = entry.first->text;
        if (entry.second->kind != PyValue::Kind::Tensor)
            throw std::runtime_error(path + ": entry '" + key + "' is " + entry.second->describe()
                                     + ", not a tensor (neither a state_dict nor a checkpoint "
                                       "with model_state_dict).");
        if (compiled && startsWith(key, kCompiledPrefix))
            key = key.substr(std::string(kCompiledPrefix).size());
        if (stateDict.contains(key))
            throw std::runtime_error(path + ": key '" + key + "' appears twice"
                                     + (compiled ? " (with and without torch.compile's _orig_mod. "
                                                   "prefix)."
                                                 : "."));
        stateDict.insert(key, entry.second->tensor);
    }
    return stateDict;
}

} // namespace seplab::models::interop
