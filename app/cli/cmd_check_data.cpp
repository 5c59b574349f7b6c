// seplab-cli check-data: validate a PolSESS corpus before a long run, with the same check the
// trainer runs at start-up.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "core/data/data_check.h"

#include <iostream>

namespace seplab::cli {

int runCheckData(const std::vector<std::string> &args)
{
    ArgParser parser("check-data",
                     "Checks a PolSESS corpus folder: every row's files exist, are mono, share "
                     "the\nmixture's sample rate and length and hold no NaN/Inf samples; no "
                     "mixture is listed\ntwice. Prints a per-split summary (rows, indoor, "
                     "outdoor) on stdout and each\nproblem as one line on stderr; exits 1 if "
                     "there is any error.");
    parser.addPositional("dir", "The corpus root, holding train/, val/ and test/.");
    parser.addListOption("split",
                         "NAME",
                         "Check only these splits; each must exist (default: train, val and "
                         "test, where a missing one is a warning).");
    parser.addFlag("quick", "Read file headers only; skips the NaN/Inf scan of every sample.");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    data::DataCheckOptions options;
    options.scanSamples = !parser.has("quick");
    const data::DataCheckReport report = data::checkPolsessCorpus(parser.value("dir"),
                                                                  parser.values("split"),
                                                                  options);
    std::cout << data::dataCheckSummary(report);
    for (const std::string &warning : report.warnings)
        std::cerr << "warning: " << warning << "\n";
    for (const std::string &error : report.errors)
        std::cerr << "error: " << error << "\n";
    return report.ok() ? 0 : 1;
}

} // namespace seplab::cli
