// The fixture of the tests that drive a real hub: a fresh data dir (database, repos, blobs)
// per test, removed afterwards. Derived fixtures call HubTest::SetUp() first.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "hub/hub.h"
#include "hub/identity.h"

namespace wharf::hub {

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wharf-hub-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    HubOptions options;
    options.data_dir = dir_;
    auto hub = Hub::open(options);
    ASSERT_TRUE(hub) << hub.error().message;
    hub_ = std::move(*hub);
  }
  void TearDown() override {
    hub_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A web-session identity of a new user (no token narrows it).
  Identity person(const std::string& name, bool is_admin = false) {
    auto user = create_user(*hub_, name, is_admin);
    EXPECT_TRUE(user) << user.error().message;
    Identity who;
    if (user) who.user = *user;
    return who;
  }

  std::string dir_;
  std::unique_ptr<Hub> hub_;
};

}  // namespace wharf::hub
