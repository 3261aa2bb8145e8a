// Lister<T>: the read-only view of an informer's store that reconcilers use. Everything
// it returns is shared_ptr<const T>: never modify a cached object; change a copy and
// send it to the API. Cheap to copy; thread-safe; stays valid after the informer stops.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cache/thread_safe_store.h"

namespace nca::cache {

template <typename T>
class Lister {
 public:
  using Ptr = std::shared_ptr<const T>;

  explicit Lister(std::shared_ptr<const ThreadSafeStore<T>> store) : store_(std::move(store)) {}

  // The object at "namespace/name" (or "name"), or null.
  Ptr get(const std::string& key) const { return store_->get(key); }
  std::vector<Ptr> list() const { return store_->list(); }
  Result<std::vector<Ptr>> by_index(const std::string& index, const std::string& value) const {
    return store_->by_index(index, value);
  }
  std::size_t size() const { return store_->size(); }

 private:
  std::shared_ptr<const ThreadSafeStore<T>> store_;
};

}  // namespace nca::cache
