#include "gongkai/server/service/login_throttle.h"

namespace gongkai::server::service {

namespace {
constexpr std::chrono::minutes kWindow{1};
constexpr std::size_t kMaxAddresses = 10000;
constexpr std::chrono::seconds kSlotWait{1};
}  // namespace

std::optional<int> LoginThrottle::admit(const std::string& address, core::TimePoint now) {
  std::lock_guard lock(windowsMutex_);
  auto found = windows_.find(address);
  if (found == windows_.end()) {
    if (windows_.size() >= kMaxAddresses) windows_.clear();
    found = windows_.emplace(address, Window{now, 0}).first;
  }
  Window& window = found->second;
  if (now - window.start >= kWindow) window = Window{now, 0};
  if (window.attempts >= options_.per_address_per_minute) {
    return static_cast<int>(
        std::chrono::ceil<std::chrono::seconds>(window.start + kWindow - now).count());
  }
  ++window.attempts;
  return std::nullopt;
}

LoginThrottle::Slot::Slot(LoginThrottle& throttle) : throttle_(throttle) {
  std::unique_lock lock(throttle_.slotsMutex_);
  acquired_ = throttle_.slotFreed_.wait_for(
      lock, kSlotWait, [&] { return throttle_.busy_ < throttle_.options_.concurrent_checks; });
  if (acquired_) ++throttle_.busy_;
}

LoginThrottle::Slot::~Slot() {
  if (!acquired_) return;
  {
    std::lock_guard lock(throttle_.slotsMutex_);
    --throttle_.busy_;
  }
  throttle_.slotFreed_.notify_one();
}

}  // namespace gongkai::server::service
