#include "core/sweep/plan_executor.h"

#include "core/sweep/yaml_map_reader.h"

#include <stdexcept>

namespace seplab::sweep {

namespace {

using nlohmann::json;

const std::vector<std::string> kLocalExecutorKeys
    = {"type", "gpus", "slots_per_gpu", "cpu_slots", "mps", "threads", "kill_delay"};
const std::vector<std::string> kSlurmExecutorKeys = {"type",
                                                     "partition",
                                                     "gres",
                                                     "time",
                                                     "mem",
                                                     "cpus_per_task",
                                                     "account",
                                                     "extra",
                                                     "kill_delay",
                                                     "threads",
                                                     "poll_interval",
                                                     "qos",
                                                     "max_jobs_in_queue",
                                                     "requeue"};

std::vector<int> readGpus(const YamlMapReader &reader)
{
    const json value = reader.value("gpus");
    std::vector<int> gpus;
    auto add = [&](const json &item) {
        if (!item.is_number_integer() || item.get<int>() < 0)
            reader.fail("gpus", "must list GPU numbers such as [0, 1], not " + value.dump());
        gpus.push_back(item.get<int>());
    };
    if (value.is_array())
        for (const json &item : value)
            add(item);
    else if (value.is_number_integer())
        add(value);
    else if (value.is_string()) {
        std::stringstream text(value.get<std::string>());
        std::string item;
        while (std::getline(text, item, ','))
            try {
                add(json(std::stoi(item)));
            } catch (const std::logic_error &) {
                reader.fail("gpus", "must list GPU numbers such as 0,1, not " + value.dump());
            }
    } else
        reader.fail("gpus", "must list GPU numbers such as [0, 1], not " + value.dump());
    return gpus;
}

exec::SlurmOptions readSlurm(const YamlMapReader &reader)
{
    exec::SlurmOptions slurm;
    for (const auto &[key, field] :
         {std::pair<const char *, std::string *>{"partition", &slurm.partition},
          {"gres", &slurm.gres},
          {"time", &slurm.time},
          {"mem", &slurm.mem},
          {"account", &slurm.account},
          {"qos", &slurm.qos}})
        if (reader.has(key)) {
            *field = reader.string(key);
            if (field->find_first_of(" \t\n") != std::string::npos)
                reader.fail(key, "must be one word, not '" + *field + "'");
        }
    if (reader.has("cpus_per_task"))
        slurm.cpusPerTask = int(reader.integer("cpus_per_task", 1));
    if (reader.has("max_jobs_in_queue"))
        slurm.maxJobsInQueue = int(reader.integer("max_jobs_in_queue", 1));
    if (reader.has("poll_interval")) {
        slurm.pollInterval = reader.number("poll_interval");
        if (slurm.pollInterval <= 0)
            reader.fail("poll_interval", "must be more than zero seconds");
    }
    if (reader.has("requeue"))
        slurm.requeue = reader.boolean("requeue");
    if (reader.has("extra")) {
        const json extra = reader.value("extra");
        if (!extra.is_array())
            reader.fail("extra", "must list sbatch options such as [\"--constraint=a100\"]");
        for (const json &item : extra) {
            if (!item.is_string() || item.get<std::string>().rfind("--", 0) != 0)
                reader.fail("extra",
                            "must list sbatch options that start with '--', not " + item.dump());
            slurm.extra.push_back(item.get<std::string>());
        }
    }
    return slurm;
}

} // namespace

ExecutorPlan readExecutor(const YAML::Node &node, const std::string &source)
{
    if (!node.IsMap())
        throw std::invalid_argument(yamlWhere(source, node)
                                    + "'executor' must be a mapping with a 'type'.");
    YamlMapReader reader(node, "executor.", source);
    ExecutorPlan executor;
    if (reader.has("type"))
        executor.type = reader.choice("type", {"local", "slurm"});
    reader.onlyKeys(executor.type == "local" ? kLocalExecutorKeys : kSlurmExecutorKeys,
                    "the " + executor.type + " executor");
    if (reader.has("gpus"))
        executor.gpus = readGpus(reader);
    if (reader.has("slots_per_gpu"))
        executor.slotsPerGpu = int(reader.integer("slots_per_gpu", 1));
    if (reader.has("cpu_slots"))
        executor.cpuSlots = int(reader.integer("cpu_slots", 1));
    if (reader.has("mps"))
        executor.mps = reader.boolean("mps");
    if (reader.has("threads"))
        executor.threads = int(reader.integer("threads", 0));
    if (reader.has("kill_delay")) {
        executor.killDelay = reader.number("kill_delay");
        if (executor.killDelay < 0)
            reader.fail("kill_delay", "must be zero or more seconds");
    }
    if (executor.type == "slurm")
        executor.slurm = readSlurm(reader);
    if (executor.type != "local")
        for (const auto &item : node)
            executor.other[item.first.as<std::string>()] = reader.value(
                item.first.as<std::string>());
    return executor;
}

} // namespace seplab::sweep
