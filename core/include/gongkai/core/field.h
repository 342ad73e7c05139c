#pragma once

namespace gongkai::core {

// One member of a request as the transport read it, for the code that judges it in its own
// words (a service, or core's step rules): absent (leave as is), null (clear it), a value of the
// expected type, or something of another type (`value` then left default). A JSON merge patch needs
// all four apart.
template <typename T>
struct Field {
  enum class State { kAbsent, kNull, kValue, kWrongType };
  State state = State::kAbsent;
  T value{};

  bool given() const { return state != State::kAbsent; }
  // Given, and not null.
  bool filled() const { return state == State::kValue || state == State::kWrongType; }
  bool hasValue() const { return state == State::kValue; }
};

}  // namespace gongkai::core
