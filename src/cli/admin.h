// `wharf admin …` sub-commands, one family per file. Each returns -1 when the words are not
// its own, else the exit code.
#pragma once

#include <string>
#include <vector>

#include "cli/setup.h"

namespace wharf::cli {

int admin_report(const Error& e);  // prints "wharf admin: <message>", returns 1
// Whether `words` starts with `expected`.
bool admin_words_are(const std::vector<std::string>& words, std::initializer_list<const char*> expected);

int run_admin_users(Environment& env, const std::vector<std::string>& words);     // admin_users.cpp
int run_admin_accounts(Environment& env, const std::vector<std::string>& words);  // admin_accounts.cpp
// generate-catalog has options of its own, so it takes the raw arguments (admin_catalog.cpp).
int run_admin_catalog(const std::vector<std::string>& args);

}  // namespace wharf::cli
