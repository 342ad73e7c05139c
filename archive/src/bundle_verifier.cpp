#include "gongkai/archive/bundle_verifier.h"

#include "verify_steps.h"

namespace gongkai::archive {

BundleReport verifyBundle(const std::string& tarPath, const VerifyOptions& options) {
  verify::VerifyContext ctx(tarPath, options);
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

}  // namespace gongkai::archive
