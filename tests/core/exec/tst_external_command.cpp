// External programs, W&B agent style (spec hpo.md §1(f)): every command macro expands to the
// exact argv W&B's agent builds, values as Python str() prints them; unknown or misplaced macros
// are one sentence.

#include "core/exec/external_command.h"

#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <limits>

using namespace seplab::exec;
using nlohmann::json;
using Args = std::vector<std::string>;

namespace {

// Names sort as flag, list, lr, n, name, nested, none, off, wd: the order W&B's args take here.
const json kParams = json::parse(R"({"lr": 0.001, "flag": true, "off": false, "name": "x",
    "nested": {"a": 1}, "wd": 1e-05, "n": 4, "none": null, "list": [1, "a", 2.5]})");

std::string errorOf(const Args &commandTemplate,
                    const std::string &program = "train.py",
                    const json &params = kParams,
                    const std::string &file = "/run/params.json")
{
    try {
        expandCommand(commandTemplate, program, params, file);
    } catch (const std::invalid_argument &error) {
        return error.what();
    }
    return "no error";
}

} // namespace

class tst_ExternalCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonStrOfScalars();
    void pythonStrOfFloatsIsRepr();
    void pythonStrOfContainers();
    void defaultTemplateIsEnvInterpreterProgramArgs();
    void argsNoHyphensAndNoBooleanFlags();
    void argsJsonIsPythonJsonDumps();
    void argsJsonFileAndPlainItems();
    void envvarIsReplacedInsideItems();
    void badTemplatesAreOneSentence();
};

void tst_ExternalCommand::pythonStrOfScalars()
{
    QCOMPARE(pythonStr(json(true)), std::string("True"));
    QCOMPARE(pythonStr(json(false)), std::string("False"));
    QCOMPARE(pythonStr(json()), std::string("None"));
    QCOMPARE(pythonStr(json(3)), std::string("3"));
    QCOMPARE(pythonStr(json(-7)), std::string("-7"));
    QCOMPARE(pythonStr(json(std::numeric_limits<std::uint64_t>::max())),
             std::string("18446744073709551615"));
    QCOMPARE(pythonStr(json("it's raw")), std::string("it's raw")); // str(s) has no quotes
}

void tst_ExternalCommand::pythonStrOfFloatsIsRepr()
{
    // Each expected text is what Python 3 prints for str(<the float>).
    const std::pair<double, const char *> cases[] = {
        {0.001, "0.001"},
        {1e-05, "1e-05"},
        {0.0001, "0.0001"},
        {1.0, "1.0"},
        {100.0, "100.0"},
        {0.1 + 0.2, "0.30000000000000004"},
        {-2.5e-7, "-2.5e-07"},
        {1e15, "1000000000000000.0"},
        {1e16, "1e+16"},
        {123456789012345680.0, "1.2345678901234568e+17"},
        {1.5e300, "1.5e+300"},
        {5e-324, "5e-324"},
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {12.5, "12.5"},
        {std::nan(""), "nan"},
        {HUGE_VAL, "inf"},
        {-HUGE_VAL, "-inf"},
    };
    for (const auto &[value, expected] : cases) {
        QCOMPARE(pythonStr(json(value)), std::string(expected));
        QCOMPARE(pythonFloatRepr(value), std::string(expected));
    }
}

void tst_ExternalCommand::pythonStrOfContainers()
{
    const json list = json::parse(R"([1, "a", 2.5, true, null, []])");
    QCOMPARE(pythonStr(list), std::string("[1, 'a', 2.5, True, None, []]"));
    const json dict = json::parse(R"({"b": [true, null], "a": {"c": 0.5}, "e": {}})");
    QCOMPARE(pythonStr(dict), std::string("{'a': {'c': 0.5}, 'b': [True, None], 'e': {}}"));
    // Python's repr of str: single quotes, or double ones for text with a single but no double.
    const json texts = json::array({"it's", "a\"b", "x\ny\\", "q'\"", "żółw", "\x01"});
    QCOMPARE(pythonStr(texts),
             std::string("[\"it's\", 'a\"b', 'x\\ny\\\\', 'q\\'\"', 'żółw', '\\x01']"));
}

void tst_ExternalCommand::defaultTemplateIsEnvInterpreterProgramArgs()
{
    const Args expected = {"/usr/bin/env",
                           "python3",
                           "train.py",
                           "--flag=True",
                           "--list=[1, 'a', 2.5]",
                           "--lr=0.001",
                           "--n=4",
                           "--name=x",
                           "--nested={'a': 1}",
                           "--none=None",
                           "--off=False",
                           "--wd=1e-05"};
    QCOMPARE(expandCommand({}, "train.py", kParams, "/run/params.json"), expected);
    QCOMPARE(expandCommand(defaultCommandTemplate(), "train.py", kParams, ""), expected);
    QCOMPARE(defaultCommandTemplate(), (Args{"${env}", "${interpreter}", "${program}", "${args}"}));
    QCOMPARE(expandCommand({}, "train.py", json::object(), ""),
             (Args{"/usr/bin/env", "python3", "train.py"}));
}

void tst_ExternalCommand::argsNoHyphensAndNoBooleanFlags()
{
    QCOMPARE(expandCommand({"${program}", "${args_no_hyphens}"}, "./train", kParams, ""),
             (Args{"./train",
                   "flag=True",
                   "list=[1, 'a', 2.5]",
                   "lr=0.001",
                   "n=4",
                   "name=x",
                   "nested={'a': 1}",
                   "none=None",
                   "off=False",
                   "wd=1e-05"}));
    // true -> a bare flag, false -> nothing.
    QCOMPARE(expandCommand({"${args_no_boolean_flags}"}, "", kParams, ""),
             (Args{"--flag",
                   "--list=[1, 'a', 2.5]",
                   "--lr=0.001",
                   "--n=4",
                   "--name=x",
                   "--nested={'a': 1}",
                   "--none=None",
                   "--wd=1e-05"}));
}

void tst_ExternalCommand::argsJsonIsPythonJsonDumps()
{
    // Python: json.dumps(params) with the keys in this order.
    const std::string dumped = R"({"flag": true, "list": [1, "a", 2.5], "lr": 0.001, "n": 4, )"
                               R"("name": "x", "nested": {"a": 1}, "none": null, "off": false, )"
                               R"("wd": 1e-05})";
    QCOMPARE(expandCommand({"${args_json}"}, "", kParams, ""), Args{dumped});
    const json special = {{"name", "żółw \"q\""}, {"bad", std::nan("")}, {"big", HUGE_VAL}};
    const std::string specialDumped
        = R"({"bad": NaN, "big": Infinity, "name": "\u017c\u00f3\u0142w \"q\""})";
    QCOMPARE(pythonJsonDumps(special), specialDumped);
}

void tst_ExternalCommand::argsJsonFileAndPlainItems()
{
    QCOMPARE(expandCommand({"${env}", "bash", "run.sh", "--config", "${args_json_file}"},
                           "",
                           kParams,
                           "/run/params.json"),
             (Args{"/usr/bin/env", "bash", "run.sh", "--config", "/run/params.json"}));
    // Text that only looks like a macro passes through, as in W&B.
    QCOMPARE(expandCommand({"$HOME", "{x}", "$", "$}"}, "", kParams, ""),
             (Args{"$HOME", "{x}", "$", "$}"}));
}

void tst_ExternalCommand::envvarIsReplacedInsideItems()
{
    ::setenv("SEPLAB_EXEC_ROOT", "/data/corpus", 1);
    QCOMPARE(expandCommand({"--root=${envvar:SEPLAB_EXEC_ROOT}/wav", "${envvar:SEPLAB_EXEC_ROOT}"},
                           "",
                           kParams,
                           ""),
             (Args{"--root=/data/corpus/wav", "/data/corpus"}));
    ::unsetenv("SEPLAB_EXEC_ROOT");
    QCOMPARE(errorOf({"${envvar:SEPLAB_EXEC_ROOT}"}),
             std::string("command item '${envvar:SEPLAB_EXEC_ROOT}' uses environment variable "
                         "SEPLAB_EXEC_ROOT, which is not set."));
}

void tst_ExternalCommand::badTemplatesAreOneSentence()
{
    QCOMPARE(errorOf({"${program}", "${foo}"}),
             std::string("command item '${foo}': unknown macro ${foo}; the macros are ${env}, "
                         "${interpreter}, ${program}, ${args}, ${args_no_hyphens}, "
                         "${args_no_boolean_flags}, ${args_json}, ${args_json_file} and "
                         "${envvar:NAME}."));
    QCOMPARE(errorOf({"--x=${args}"}),
             std::string("command item '--x=${args}': macro ${args} must be a whole item of the "
                         "command list."));
    QCOMPARE(errorOf({"--x=${lr"}),
             std::string("command item '--x=${lr' has a '${' without its closing '}'."));
    QCOMPARE(errorOf({"${program}"}, ""),
             std::string("the command uses ${program} but the stage names no program."));
    QCOMPARE(errorOf({"${args_json_file}"}, "train.py", kParams, ""),
             std::string("the command uses ${args_json_file} but no parameter file was written."));
    QCOMPARE(errorOf({"${args}"}, "train.py", json::array({1})),
             std::string("trial parameters must be a JSON object, not array."));
}

QTEST_GUILESS_MAIN(tst_ExternalCommand)
#include "tst_external_command.moc"
