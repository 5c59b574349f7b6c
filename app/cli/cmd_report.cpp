// seplab-cli report: the experiment log of a plan, written from the store (read-only) as
// markdown shaped like the users' hand-written log, plus CSVs and PNG plots.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "core/report/experiment_log.h"
#include "core/store/experiment_store.h"
#include "core/sweep/report_input.h"

#include <iostream>

namespace seplab::cli {

int runReport(const std::vector<std::string> &args)
{
    ArgParser parser("report",
                     "Writes DIR/experiment-log.md for a plan in the store: per stage the runs, "
                     "finished,\nstopped, best, runtime and the search space as it was (given or "
                     "derived, with how),\nthe validation table (mean, std, each seed, the gain "
                     "over the previous stage), the\ncorrelation and random-forest importance of "
                     "each hyperparameter, and the compute\nhours; plus trials.csv, "
                     "validation.csv, insights.csv and plots/*.png. Reads only:\nsafe while a "
                     "sweep runs.");
    parser.addOption("store", "DB", "The experiment store.", {}, true);
    parser.addOption("out", "DIR", "Where to write the report.", {}, true);
    parser.addOption("plan", "NAME", "Which plan (default: the store's latest).");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    const store::ExperimentStore store
        = store::ExperimentStore::open(parser.value("store"),
                                       store::ExperimentStore::Mode::ReadOnly);
    const report::ReportInput input = sweep::reportInputFromStore(store, parser.value("plan"));
    const report::ReportOutput output = report::writeExperimentLog(input, parser.value("out"));
    for (const std::string &warning : output.warnings)
        std::cerr << "warning: " << warning << "\n";
    for (const std::string &file : output.files)
        std::cout << file << "\n";
    return 0;
}

} // namespace seplab::cli
