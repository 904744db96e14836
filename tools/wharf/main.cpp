#include "tools/wharf/verb.h"

int main(int argc, char** argv) { return wharf::cli::run_cli(argc, argv); }
