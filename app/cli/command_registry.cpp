#include "cli/arg_parser.h"
#include "cli/command.h"
#include "seplab_version.h"

#include <cstdio>
#include <exception>
#include <iostream>
#include <torch/version.h>

namespace seplab::cli {

const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
        {"make-corpus",
         "Write a synthetic PolSESS-layout corpus of Polish speech (espeak-ng).",
         runMakeCorpus},
        {"check-data", "Validate a PolSESS corpus before a long run.", runCheckData},
        {"train", "Train a model from a training config; trial protocol on stdout.", runTrain},
        {"evaluate",
         "Score a checkpoint on a PolSESS split, one set per MM-IPC variant; JSON and CSV.",
         runEvaluate},
        {"separate",
         "Separate one recording of any length with a checkpoint into s1.wav, s2.wav, ...",
         runSeparate},
        {"metrics",
         "Score estimated sources against references: PIT SI-SDR, per source, SI-SDRi.",
         runMetrics},
        {"model-info",
         "Describe a model: parameter count, hyperparameters, layers, receptive field.",
         runModelInfo},
        {"export-weights",
         "Write a checkpoint's weights as a PyTorch state_dict with the original key names.",
         runExportWeights},
        {"import-weights",
         "Turn a PyTorch state_dict (original key names) into a SepLab checkpoint.",
         runImportWeights},
        {"sweep",
         "Run staged sweeps: run, resume, status, stop, import-wandb, export-wandb.",
         runSweep},
        {"report",
         "Write a plan's experiment log (markdown, CSV, plots) from the store.",
         runReport},
        {"bench", "Measure throughput: `bench data|train|separate`.", runBench},
    };
    return list;
}

const Command *findCommand(const std::string &name)
{
    for (const Command &command : commands()) {
        if (name == command.name)
            return &command;
    }
    return nullptr;
}

namespace {

void printUsage(std::ostream &out)
{
    out << "usage: seplab-cli <command> [options]\n"
           "       seplab-cli <command> --help\n"
           "       seplab-cli --version\n\n"
           "SepLab's headless tool: everything the workbench does, without a display.\n\n"
           "commands:\n";
    for (const Command &command : commands()) {
        std::string name = command.name;
        name.resize(std::max<size_t>(name.size() + 2, 16), ' ');
        out << "  " << name << command.summary << "\n";
    }
    out << "  help            Show this list, or `help <command>` for one command's options.\n";
}

} // namespace

int runCli(const std::vector<std::string> &args)
{
    if (args.empty()) {
        printUsage(std::cerr);
        return 2;
    }
    const std::string &first = args.front();
    if (first == "--version" || first == "version") {
        std::cout << "seplab-cli " << SEPLAB_VERSION << " (LibTorch " << TORCH_VERSION << ")\n";
        return 0;
    }
    if (first == "help" || first == "--help" || first == "-h") {
        if (args.size() > 1 && first == "help") {
            if (const Command *command = findCommand(args[1]))
                return command->run({"--help"});
            std::cerr << "seplab-cli: unknown command '" << args[1] << "'.\n";
            return 2;
        }
        printUsage(std::cout);
        return 0;
    }

    const Command *command = findCommand(first);
    if (!command) {
        std::cerr << "seplab-cli: unknown command '" << first
                  << "' (run 'seplab-cli help' for the list).\n";
        return 2;
    }
    try {
        return command->run(std::vector<std::string>(args.begin() + 1, args.end()));
    } catch (const UsageError &error) {
        std::cerr << error.what() << "\n";
        return 2;
    } catch (const std::exception &error) {
        std::cerr << "seplab-cli " << command->name << ": " << error.what() << "\n";
        return 1;
    }
}

} // namespace seplab::cli
