import Testing

/// The one root suite; every test file extends it (`extension AllTests { @Suite … }`).
@Suite struct AllTests {}
