#include "cli/command.h"

#include <string>
#include <vector>

int main(int argc, char **argv)
{
    return seplab::cli::runCli(std::vector<std::string>(argv + 1, argv + argc));
}
