// torch.save's zip archive: checks the file, reads data.pkl and runs it through the unpickler,
// loading each tensor storage from its data/<key> record (once, however many tensors share it).

#include "core/models/interop/pickle_reader.h"

#include "core/models/interop/unpickler.h"

#include <caffe2/serialize/inline_container.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <torch/torch.h>
#include <unordered_map>

namespace seplab::models::interop {

namespace {

using detail::make;
using detail::PickleError;
using detail::toInt;

// The storage classes torch.save names in its persistent ids ("torch.FloatStorage", ...).
const std::map<std::string, at::ScalarType> &storageTypes()
{
    static const std::map<std::string, at::ScalarType> types = {
        {"torch.FloatStorage", at::kFloat},
        {"torch.DoubleStorage", at::kDouble},
        {"torch.HalfStorage", at::kHalf},
        {"torch.BFloat16Storage", at::kBFloat16},
        {"torch.LongStorage", at::kLong},
        {"torch.IntStorage", at::kInt},
        {"torch.ShortStorage", at::kShort},
        {"torch.CharStorage", at::kChar},
        {"torch.ByteStorage", at::kByte},
        {"torch.BoolStorage", at::kBool},
        {"torch.ComplexFloatStorage", at::kComplexFloat},
        {"torch.ComplexDoubleStorage", at::kComplexDouble},
        {"torch.UntypedStorage", at::kByte},
    };
    return types;
}

// torch.save's persistent ids: ('storage', storage_type, key, location, numel). The storage's
// bytes are the record `data/<key>`; storages shared by several tensors are read once.
class StorageLoader
{
public:
    explicit StorageLoader(caffe2::serialize::PyTorchStreamReader &reader)
        : m_reader(reader)
    {}

    PyValuePtr operator()(const PyValuePtr &pid)
    {
        if (pid->kind != PyValue::Kind::Tuple || pid->items.size() < 5
            || pid->items[0]->kind != PyValue::Kind::String || pid->items[0]->text != "storage"
            || pid->items[1]->kind != PyValue::Kind::Global
            || pid->items[2]->kind != PyValue::Kind::String)
            throw PickleError("a persistent id is not a tensor storage");
        const std::string &typeName = pid->items[1]->text;
        const std::string &key = pid->items[2]->text;
        const std::int64_t numel = toInt(pid->items[4], "a storage size");
        auto type = storageTypes().find(typeName);
        if (type == storageTypes().end())
            throw PickleError("storage type " + typeName + " is not supported");

        auto cached = m_storages.find(key);
        if (cached != m_storages.end())
            return cached->second;

        const std::string record = "data/" + key;
        if (!m_reader.hasRecord(record))
            throw PickleError("the archive lacks the tensor data record " + record);
        at::DataPtr data;
        std::size_t size = 0;
        std::tie(data, size) = m_reader.getRecord(record);
        // Checked before allocating, so a damaged size cannot ask for terabytes.
        const std::size_t elementSize = c10::elementSize(type->second);
        if (numel < 0 || std::uint64_t(numel) > size / elementSize)
            throw PickleError("tensor data record " + record + " is shorter than its storage");
        const std::size_t wanted = std::size_t(numel) * elementSize;
        at::Tensor storage = torch::empty({numel}, torch::TensorOptions().dtype(type->second));
        if (wanted > 0)
            std::memcpy(storage.data_ptr(), data.get(), wanted);

        PyValuePtr value = make(PyValue::Kind::Tensor);
        value->tensor = storage;
        m_storages.emplace(key, value);
        return value;
    }

private:
    caffe2::serialize::PyTorchStreamReader &m_reader;
    std::unordered_map<std::string, PyValuePtr> m_storages;
};

bool startsWithZipMagic(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

// The first line of a c10::Error (the rest is a backtrace).
std::string firstLine(const char *text)
{
    std::string message(text);
    const std::size_t end = message.find('\n');
    return end == std::string::npos ? message : message.substr(0, end);
}

} // namespace

PyValuePtr loadTorchFile(const std::string &path)
{
    if (!std::filesystem::is_regular_file(path))
        throw std::runtime_error(path + ": no such file.");
    if (!startsWithZipMagic(path))
        throw std::runtime_error(path
                                 + ": not a zip-format PyTorch file (torch.save writes one since "
                                   "PyTorch 1.6; re-save older files with a current torch.save).");
    try {
        caffe2::serialize::PyTorchStreamReader reader(path);
        if (reader.hasRecord("byteorder")) {
            at::DataPtr order;
            std::size_t size = 0;
            std::tie(order, size) = reader.getRecord("byteorder");
            if (std::string(static_cast<const char *>(order.get()), size) != "little")
                throw PickleError("tensors are stored big-endian");
        }
        if (!reader.hasRecord("data.pkl"))
            throw PickleError("there is no data.pkl record");
        at::DataPtr pickle;
        std::size_t size = 0;
        std::tie(pickle, size) = reader.getRecord("data.pkl");
        StorageLoader storages(reader);
        return detail::unpickle(static_cast<const char *>(pickle.get()), size, std::ref(storages));
    } catch (const PickleError &error) {
        throw std::runtime_error(path + ": cannot be read as a torch.save file (" + error.what()
                                 + ").");
    } catch (const c10::Error &error) {
        throw std::runtime_error(path + ": damaged PyTorch archive ("
                                 + firstLine(error.what_without_backtrace()) + ").");
    } catch (const std::logic_error &error) { // std::stoll and friends on a corrupt text field
        throw std::runtime_error(
            path + ": cannot be read as a torch.save file (bad number: " + error.what() + ").");
    }
}

} // namespace seplab::models::interop
