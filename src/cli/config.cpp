#include "cli/config.h"

#include <boost/program_options.hpp>
#include <fstream>
#include <sstream>

namespace wharf::cli {
namespace po = boost::program_options;

namespace {

// WHARF_DATA_DIR -> "data-dir"; other variables are ignored.
std::string env_to_option(const po::options_description& desc, const std::string& var) {
  if (!var.starts_with("WHARF_")) return "";
  std::string name = var.substr(6);
  for (auto& ch : name) ch = ch == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return desc.find_nothrow(name, false) ? name : "";
}

// "A.org, b.com" -> {"a.org", "b.com"}.
std::vector<std::string> split_domains(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  for (char ch : text + ",") {
    if (ch == ',') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else if (ch != ' ') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return out;
}

}  // namespace

Result<Config> parse_config(const std::vector<std::string>& args, std::vector<std::string>& rest, bool& help,
                            std::string& usage) {
  Config c;
  std::string signup, signup_domains;
  po::options_description desc("Options (also WHARF_<NAME> environment variables, e.g. WHARF_DATA_DIR)");
  desc.add_options()
      ("help,h", "show this help")
      ("config", po::value<std::string>(), "config file with lines `name = value`")
      ("bind", po::value(&c.bind_address)->default_value(c.bind_address), "address to listen on")
      ("port", po::value(&c.port)->default_value(c.port), "port to listen on (0: any free port)")
      ("data-dir", po::value(&c.data_dir)->default_value(c.data_dir), "data directory")
      ("public-url", po::value(&c.public_url), "externally visible base URL (default http://<bind>:<port>)")
      ("log-level", po::value(&c.log_level)->default_value(c.log_level), "debug, info, warn or error")
      ("lfs-grace-seconds", po::value(&c.lfs_grace_seconds)->default_value(c.lfs_grace_seconds),
       "uncommitted LFS uploads are removed after this long")
      ("lfs-multipart-threshold", po::value(&c.lfs_multipart_threshold)->default_value(c.lfs_multipart_threshold),
       "LFS objects of at least this many bytes are uploaded in parts")
      ("lfs-multipart-chunk-size", po::value(&c.lfs_multipart_chunk_size)->default_value(c.lfs_multipart_chunk_size),
       "part size of multipart LFS uploads")
      ("max-connections", po::value(&c.max_connections)->default_value(c.max_connections),
       "connections served at once")
      ("downloads-flush-ms", po::value(&c.downloads_flush_ms)->default_value(c.downloads_flush_ms),
       "download counts are written to the database this often (ms); trending every 60 flushes")
      ("web-upload-max-bytes", po::value(&c.web_upload_max_bytes)->default_value(c.web_upload_max_bytes),
       "the largest upload (all files together) that the web page accepts")
      ("signup", po::value(&signup)->default_value("open"), "who may create an account on the web: open or closed")
      ("signup-email-domains", po::value(&signup_domains),
       "comma-separated email domains that sign-up accepts (default: any)");
  // --rate-limit-<tier>-<bucket>, for the 4 tiers and the 3 buckets.
  po::options_description limits("Rate limits (requests per window; 0 = unlimited)");
  limits.add_options()
      ("rate-limit-window", po::value(&c.rate_limits.window_s)->default_value(c.rate_limits.window_s),
       "length of a rate-limit window in seconds")
      ("rate-limit-auth-failures", po::value(&c.rate_limits.auth_failures)->default_value(c.rate_limits.auth_failures),
       "distinct invalid credentials one address may send per window before its credentials are refused");
  for (std::size_t t = 0; t < hub::kRateTiers; ++t) {
    for (std::size_t b = 0; b < hub::kRateBuckets; ++b) {
      auto tier = hub::tier_name(static_cast<hub::RateTier>(t));
      auto bucket = hub::bucket_name(static_cast<hub::RateBucket>(b));
      std::string name = "rate-limit-" + std::string(tier) + "-" + std::string(bucket);
      std::string help = std::string(bucket) + " requests per window of " +
                         (t == 0 ? std::string("an anonymous address") : "a " + std::string(tier) + " user");
      limits.add_options()(name.c_str(), po::value(&c.rate_limits.limits[t][b])->default_value(c.rate_limits.limits[t][b]),
                           help.c_str());
    }
  }
  desc.add(limits);
  po::options_description admin("Admin options");
  admin.add_options()
      ("user", po::value(&c.admin_user), "admin token create: the token's user")
      ("role", po::value(&c.admin_role)->default_value("write"), "admin token create: read or write; admin org member set: read, contributor, write or admin")
      ("name", po::value(&c.admin_token_name)->default_value("cli"), "admin token create: the token's name")
      ("admin", po::bool_switch(&c.admin_flag), "admin user create: make the user an operator")
      ("email", po::value(&c.admin_email), "admin user create: the user's email")
      ("password-stdin", po::bool_switch(&c.admin_password_stdin),
       "admin user create: read the user's password from the first line of stdin")
      ("namespace", po::value(&c.admin_namespace), "admin audit: only this namespace")
      ("limit", po::value(&c.admin_limit)->default_value(c.admin_limit), "admin audit: at most this many entries");
  desc.add(admin);
  po::options_description hidden;
  hidden.add_options()("args", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("args", -1);
  std::ostringstream u;
  u << desc;
  usage = u.str();
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::store(po::parse_environment(desc, [&](const std::string& v) { return env_to_option(desc, v); }), vm);
    if (vm.count("config")) {
      std::ifstream f(vm["config"].as<std::string>());
      if (!f) return fail(errors::bad_request("Cannot read config file " + vm["config"].as<std::string>()));
      po::store(po::parse_config_file(f, desc), vm);
    }
    po::notify(vm);
    help = vm.count("help") > 0;
    if (vm.count("args")) rest = vm["args"].as<std::vector<std::string>>();
  } catch (const po::error& e) {
    return fail(errors::bad_request(e.what()));
  }
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  if (c.rate_limits.window_s <= 0 || c.rate_limits.window_s > 366LL * 24 * 3600)
    return fail(errors::bad_request("rate-limit-window must be between 1 and 31622400 seconds"));
  if (c.rate_limits.auth_failures < 0) return fail(errors::bad_request("rate-limit-auth-failures must not be negative"));
  for (const auto& tier : c.rate_limits.limits)
    for (int64_t limit : tier)
      if (limit < 0) return fail(errors::bad_request("rate limits must not be negative (0 = unlimited)"));
  if (signup != "open" && signup != "closed") return fail(errors::bad_request("signup must be open or closed"));
  c.signup_open = signup == "open";
  c.signup_email_domains = split_domains(signup_domains);
  if (c.downloads_flush_ms < 1 || c.downloads_flush_ms > 3600 * 1000)
    return fail(errors::bad_request("downloads-flush-ms must be between 1 and 3600000"));
  if (c.lfs_multipart_chunk_size == 0)
    return fail(errors::bad_request("lfs-multipart-chunk-size must be positive"));
  return c;
}

}  // namespace wharf::cli
