// What the new-repo form and the settings' move form share (new_repo_page.cpp).
#pragma once

#include <mstch/mstch.hpp>
#include <string_view>

#include "web/page_call.h"

namespace wharf::web {

// The namespaces where the caller may create repos (their own, then their organizations
// where they are a contributor or more) as <select> options {name, selected}.
// REQUIRES: c.who.user.
Result<mstch::array> owner_options(PageCall& c, std::string_view selected);

}  // namespace wharf::web
