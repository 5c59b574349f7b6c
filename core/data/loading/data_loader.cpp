#include "core/data/loading/data_loader.h"

#include "core/data/loading/batch_collate.h"
#include "core/data/loading/loader_random.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>

namespace seplab::data {

namespace {

// Keeps the epoch-order stream apart from the crop stream of the same seed.
constexpr std::uint64_t kOrderStream = 0x4f52444552; // "ORDER"

using Clock = std::chrono::steady_clock;

std::vector<std::size_t> epochOrder(std::size_t count, const LoaderOptions &options, int epoch)
{
    if (!options.shuffle) {
        std::vector<std::size_t> order(count);
        std::iota(order.begin(), order.end(), std::size_t(0));
        return order;
    }
    return shuffledOrder(count,
                         mixSeed({options.seed, kOrderStream, std::uint64_t(std::int64_t(epoch))}));
}

void validate(const std::shared_ptr<const Dataset> &dataset, const LoaderOptions &options)
{
    if (!dataset)
        throw std::invalid_argument("DataLoader: the dataset is null.");
    if (options.batchSize < 1)
        throw std::invalid_argument("DataLoader: batchSize must be at least 1, got "
                                    + std::to_string(options.batchSize) + ".");
    if (options.threads < 0)
        throw std::invalid_argument("DataLoader: threads must be 0 or more, got "
                                    + std::to_string(options.threads) + ".");
    if (options.prefetchBatches < 1)
        throw std::invalid_argument("DataLoader: prefetchBatches must be at least 1, got "
                                    + std::to_string(options.prefetchBatches) + ".");
    if (options.segmentSamples < 0)
        throw std::invalid_argument("DataLoader: segmentSamples must be 0 or more, got "
                                    + std::to_string(options.segmentSamples) + ".");
}

// What one batch slot ends up holding: the batch, or what went wrong while assembling it.
struct Slot
{
    std::optional<Batch> batch;
    std::exception_ptr error;
};

} // namespace

struct DataLoader::Impl
{
    Impl(std::shared_ptr<const Dataset> data, LoaderOptions opts)
        : dataset(std::move(data))
        , options(opts)
    {}

    std::size_t batchesFor(std::size_t count) const
    {
        const std::size_t size = std::size_t(options.batchSize);
        return options.dropLast ? count / size : (count + size - 1) / size;
    }

    // Everything one batch needs, copied out under the lock so the work runs without it.
    struct Job
    {
        std::shared_ptr<const std::vector<std::size_t>> order;
        std::size_t batch = 0;
        int epoch = 0;
        std::uint64_t generation = 0;
    };

    std::vector<std::size_t> jobIndices(const Job &job) const
    {
        const std::size_t size = std::size_t(options.batchSize);
        const std::size_t begin = job.batch * size;
        const std::size_t end = std::min(begin + size, job.order->size());
        return std::vector<std::size_t>(job.order->begin() + std::ptrdiff_t(begin),
                                        job.order->begin() + std::ptrdiff_t(end));
    }

    // Reads and stacks one batch. Returns nullopt when the job was cancelled (a new epoch or the
    // destructor) between two reads, so a cancelled epoch stops costing disk time quickly.
    std::optional<Batch> assemble(const Job &job) const
    {
        const std::vector<std::size_t> indices = jobIndices(job);
        std::vector<Example> examples;
        examples.reserve(indices.size());
        for (std::size_t index : indices) {
            if (stopping.load() || generationNow.load() != job.generation)
                return std::nullopt;
            examples.push_back(dataset->get(index, job.epoch));
        }
        return collateBatch(std::move(examples), indices, job.epoch, options);
    }

    Slot run(const Job &job) const
    {
        Slot slot;
        try {
            slot.batch = assemble(job);
        } catch (...) {
            slot.error = std::current_exception();
        }
        return slot;
    }

    // Call with the lock held.
    bool workAvailable() const
    {
        return epochStarted && claimed < batchCount && claimed < consumed + prefetch();
    }

    std::size_t prefetch() const { return std::size_t(options.prefetchBatches); }

    Job claimJob() { return Job{order, claimed++, epoch, generation}; }

    void workerLoop()
    {
        std::unique_lock<std::mutex> lock(mutex);
        for (;;) {
            workCv.wait(lock, [this] { return stopping.load() || workAvailable(); });
            if (stopping.load())
                return;
            const Job job = claimJob();
            lock.unlock();
            Slot slot = run(job);
            lock.lock();
            // A batch of a cancelled epoch is dropped, also when it failed: its error belongs to
            // an epoch nobody reads any more.
            if (job.generation != generation || (!slot.batch && !slot.error))
                continue;
            ready.emplace(job.batch, std::move(slot));
            readyCv.notify_all();
        }
    }

    std::shared_ptr<const Dataset> dataset;
    const LoaderOptions options;

    mutable std::mutex mutex;
    std::condition_variable workCv;  // workers: a batch may be claimed, or stop
    std::condition_variable readyCv; // the consumer: a batch has been stored
    std::atomic<bool> stopping{false};
    // Mirrors `generation` for the lock-free cancellation check between two reads.
    std::atomic<std::uint64_t> generationNow{0};

    // The epoch in flight; guarded by `mutex`.
    bool epochStarted = false;
    int epoch = 0;
    std::uint64_t generation = 0;
    std::shared_ptr<const std::vector<std::size_t>> order;
    std::size_t batchCount = 0;
    std::size_t claimed = 0;  // batches handed to workers
    std::size_t consumed = 0; // batches delivered by next()
    std::map<std::size_t, Slot> ready;
    std::exception_ptr failure; // sticky: rethrown by every next() after the first
    LoaderStats stats;

    std::vector<std::thread> workers;
};

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, LoaderOptions options)
{
    validate(dataset, options);
    m_impl = std::make_unique<Impl>(std::move(dataset), options);
    m_impl->workers.reserve(std::size_t(options.threads));
    try {
        for (int i = 0; i < options.threads; ++i)
            m_impl->workers.emplace_back([impl = m_impl.get()] { impl->workerLoop(); });
    } catch (...) {
        // The destructor does not run for a half-built object, and a joinable std::thread
        // destroyed unjoined terminates the program: stop the threads already started.
        stopWorkers();
        throw;
    }
}

DataLoader::~DataLoader()
{
    stopWorkers();
}

void DataLoader::stopWorkers()
{
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        m_impl->stopping.store(true);
    }
    m_impl->workCv.notify_all();
    for (std::thread &worker : m_impl->workers)
        worker.join();
    m_impl->workers.clear();
}

void DataLoader::startEpoch(int epoch)
{
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        m_impl->epochStarted = true;
        m_impl->epoch = epoch;
        m_impl->generationNow.store(++m_impl->generation);
        // The size is read here, not in the constructor: a curriculum may re-filter the
        // dataset between epochs.
        const std::size_t count = m_impl->dataset->size();
        m_impl->order = std::make_shared<const std::vector<std::size_t>>(
            epochOrder(count, m_impl->options, epoch));
        m_impl->batchCount = m_impl->batchesFor(count);
        m_impl->claimed = 0;
        m_impl->consumed = 0;
        m_impl->ready.clear();
        m_impl->failure = nullptr;
        m_impl->stats = LoaderStats{};
    }
    m_impl->workCv.notify_all();
}

std::optional<Batch> DataLoader::next()
{
    std::unique_lock<std::mutex> lock(m_impl->mutex);
    if (!m_impl->epochStarted)
        throw std::logic_error("DataLoader::next: call startEpoch first.");
    if (m_impl->failure)
        std::rethrow_exception(m_impl->failure);
    if (m_impl->consumed >= m_impl->batchCount)
        return std::nullopt;

    const std::size_t due = m_impl->consumed;
    const Clock::time_point start = Clock::now();
    Slot slot;
    if (m_impl->workers.empty()) {
        const Impl::Job job = m_impl->claimJob();
        lock.unlock();
        slot = m_impl->run(job);
        lock.lock();
    } else {
        m_impl->readyCv.wait(lock, [&] { return m_impl->ready.count(due) > 0; });
        auto found = m_impl->ready.find(due);
        slot = std::move(found->second);
        m_impl->ready.erase(found);
    }
    const double waited = std::chrono::duration<double>(Clock::now() - start).count();

    ++m_impl->consumed;
    LoaderStats &stats = m_impl->stats;
    stats.lastWaitSeconds = waited;
    stats.waitSeconds += waited;
    stats.maxWaitSeconds = std::max(stats.maxWaitSeconds, waited);
    if (slot.error) {
        m_impl->failure = slot.error;
        std::rethrow_exception(slot.error);
    }
    ++stats.batches;
    lock.unlock();
    m_impl->workCv.notify_all(); // a prefetch slot is free again
    return std::move(slot.batch);
}

std::size_t DataLoader::batchesPerEpoch() const
{
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->epochStarted ? m_impl->batchCount : m_impl->batchesFor(m_impl->dataset->size());
}

const LoaderOptions &DataLoader::options() const
{
    return m_impl->options;
}

LoaderStats DataLoader::stats() const
{
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->stats;
}

} // namespace seplab::data
