// The files under src/web/assets (templates and static files), compiled into the binary by
// scripts/embed_assets.cmake: the server reads nothing from disk to draw a page.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace wharf::web {

struct Asset {
  std::string_view name;     // the path below src/web/assets: "templates/layout.mustache"
  std::string_view content;  // the file's bytes
};

// Every asset, sorted by name.
std::span<const Asset> all_assets();

// The asset called `name`, or nullopt.
std::optional<std::string_view> find_asset(std::string_view name);

}  // namespace wharf::web
