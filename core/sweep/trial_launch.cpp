#include "core/sweep/trial_launch.h"

#include "core/exec/external_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace seplab::sweep {

namespace {

using nlohmann::json;

void flatten(const json &params, const std::string &prefix, std::vector<std::string> &out)
{
    for (const auto &[key, value] : params.items()) {
        const std::string name = prefix.empty() ? key : prefix + "." + key;
        if (prefix.empty() && key == "config")
            continue;
        if (value.is_object())
            flatten(value, name, out);
        else
            out.push_back(name + "=" + overrideText(value));
    }
}

} // namespace

std::string overrideText(const json &value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string paramsSummary(const json &params)
{
    std::string text;
    for (const auto &[key, value] : params.items()) {
        if (key == "config")
            continue;
        std::string shown = overrideText(value);
        if (value.is_number_float()) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.4g", value.get<double>());
            shown = buffer;
        }
        text += (text.empty() ? "" : " ") + key + "=" + shown;
    }
    return text;
}

std::vector<std::string> parameterOverrides(const json &params)
{
    std::vector<std::string> out;
    flatten(params, "", out);
    return out;
}

exec::LaunchSpec trialLaunchSpec(const TrialLaunch &launch, const json &params)
{
    exec::LaunchSpec spec;
    spec.env = launch.env;
    if (!launch.cudaVisibleDevices.empty())
        spec.env["CUDA_VISIBLE_DEVICES"] = launch.cudaVisibleDevices;
    spec.env["SEPLAB_RUN_DIR"] = launch.runDir;
    spec.stderrPath = (std::filesystem::path(launch.runDir) / "stderr.log").string();

    if (!launch.program.empty() || !launch.command.empty()) {
        // W&B agent style: parameters as argv, metrics back as protocol or name=value lines.
        std::filesystem::create_directories(launch.runDir);
        const std::string argsFile = (std::filesystem::path(launch.runDir) / "params.json").string();
        std::ofstream(argsFile) << params.dump(2) << "\n";
        spec.argv = exec::expandCommand(launch.command, launch.program, params, argsFile);
        spec.workingDir = launch.runDir;
        return spec;
    }

    spec.argv = {launch.seplabCli, "train"};
    if (launch.resume) {
        spec.argv.insert(spec.argv.end(), {"--resume", launch.runDir});
    } else {
        spec.argv.insert(spec.argv.end(),
                         {"--config", launch.baseConfig, "--run-dir", launch.runDir});
        std::vector<std::string> overrides = launch.overrides;
        const std::vector<std::string> fromParams = parameterOverrides(params);
        overrides.insert(overrides.end(), fromParams.begin(), fromParams.end());
        if (launch.trainSamples)
            overrides.push_back("data.train_max_samples=" + std::to_string(*launch.trainSamples));
        if (launch.epochs)
            overrides.push_back("training.num_epochs=" + std::to_string(*launch.epochs));
        overrides.insert(overrides.end(),
                         launch.finalOverrides.begin(),
                         launch.finalOverrides.end());
        for (const std::string &override : overrides)
            spec.argv.insert(spec.argv.end(), {"--set", override});
    }
    if (!launch.dataRoot.empty())
        spec.argv.insert(spec.argv.end(), {"--data", launch.dataRoot});
    spec.argv.insert(spec.argv.end(), {"--device", launch.device});
    if (launch.threads > 0)
        spec.argv.insert(spec.argv.end(), {"--threads", std::to_string(launch.threads)});
    return spec;
}

} // namespace seplab::sweep
