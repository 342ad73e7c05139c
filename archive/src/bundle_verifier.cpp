#include "gongkai/archive/bundle_verifier.h"

#include "verify_steps.h"

namespace gongkai::archive {
namespace {

BundleReport runSteps(verify::VerifyContext& ctx) {
  if (!verify::loadKeys(ctx)) return std::move(ctx.report);
  if (!verify::readTar(ctx)) return std::move(ctx.report);
  verify::checkBagDeclaration(ctx);
  verify::checkManifests(ctx);
  verify::checkTagManifest(ctx);
  verify::checkPayloadOxum(ctx);
  verify::checkSignatures(ctx);
  verify::checkAudit(ctx);
  verify::checkPackage(ctx);
  verify::checkTransferList(ctx);
  verify::checkItems(ctx);
  verify::checkFiles(ctx);
  return std::move(ctx.report);
}

}  // namespace

BundleReport verifyBundle(const std::string& tarPath, const VerifyOptions& options) {
  verify::VerifyContext ctx(tarPath, options);
  return runSteps(ctx);
}

BundleReport verifyBundleStream(int fd, const std::string& name, const VerifyOptions& options) {
  verify::VerifyContext ctx(name, options);
  ctx.stream_fd = fd;
  return runSteps(ctx);
}

}  // namespace gongkai::archive
