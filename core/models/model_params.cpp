#include "core/models/model_params.h"

namespace seplab::models {

ParamReader::ParamReader(std::string model, const nlohmann::json &params)
    : m_model(std::move(model))
    , m_params(params.is_null() ? nlohmann::json::object() : params)
{
    if (!m_params.is_object())
        throw std::invalid_argument("model." + m_model + " must be a mapping of hyperparameters.");
}

void ParamReader::fail(const std::string &key, const std::string &problem) const
{
    throw std::invalid_argument("model." + m_model + "." + key + ": " + problem + ".");
}

void ParamReader::requireAtLeastOne(std::initializer_list<std::pair<const char *, int>> values) const
{
    for (const auto &[key, value] : values) {
        if (value < 1)
            fail(key, "must be at least 1, got " + std::to_string(value));
    }
}

void ParamReader::requireEvenAtLeast(const std::string &key, int value, int minimum) const
{
    if (value < minimum || value % 2 != 0)
        fail(key,
             "must be even and at least " + std::to_string(minimum) + ", got "
                 + std::to_string(value));
}

void ParamReader::requireHalfKernelStride(int kernelSize, int stride) const
{
    if (stride != kernelSize / 2)
        fail("stride",
             "must be kernel_size/2 = " + std::to_string(kernelSize / 2)
                 + " (the encoder always hops kernel_size/2), got " + std::to_string(stride));
}

void ParamReader::requireDropout(double value) const
{
    if (value < 0.0 || value >= 1.0)
        fail("dropout", "must lie in [0, 1), got " + std::to_string(value));
}

const nlohmann::json *ParamReader::find(const std::string &key)
{
    m_seen.insert(key);
    auto it = m_params.find(key);
    if (it == m_params.end() || it->is_null())
        return nullptr;
    return &*it;
}

int ParamReader::integer(const std::string &key, int fallback)
{
    const nlohmann::json *value = find(key);
    if (!value)
        return fallback;
    if (value->is_number_integer())
        return value->get<int>();
    // YAML 16.0 or a sweep's float sample of an integer parameter: accept whole numbers only.
    if (value->is_number_float() && value->get<double>() == double(int(value->get<double>())))
        return int(value->get<double>());
    fail(key, "expected an integer, got " + value->dump());
}

double ParamReader::number(const std::string &key, double fallback)
{
    const nlohmann::json *value = find(key);
    if (!value)
        return fallback;
    if (!value->is_number())
        fail(key, "expected a number, got " + value->dump());
    return value->get<double>();
}

bool ParamReader::boolean(const std::string &key, bool fallback)
{
    const nlohmann::json *value = find(key);
    if (!value)
        return fallback;
    if (!value->is_boolean())
        fail(key, "expected true or false, got " + value->dump());
    return value->get<bool>();
}

std::string ParamReader::text(const std::string &key, const std::string &fallback)
{
    const nlohmann::json *value = find(key);
    if (!value)
        return fallback;
    if (!value->is_string())
        fail(key, "expected a string, got " + value->dump());
    return value->get<std::string>();
}

void ParamReader::ignore(const std::string &key)
{
    m_seen.insert(key);
}

void ParamReader::rejectUnknownKeys() const
{
    for (auto it = m_params.begin(); it != m_params.end(); ++it) {
        if (!m_seen.count(it.key()))
            fail(it.key(), "unknown hyperparameter");
    }
}

} // namespace seplab::models
