import ArgumentParser
import HookgateCore

/// `--scheme`: which signature scheme to use.
enum SchemeOption: String, ExpressibleByArgument, CaseIterable {
    case stripe
    case standardWebhooks = "standard-webhooks"

    /// The scheme implementation.
    var scheme: any SignatureScheme {
        switch self {
        case .stripe: StripeSignatureScheme()
        case .standardWebhooks: StandardWebhooksSignatureScheme()
        }
    }
}

/// `--mode`: verify as a live-mode or test-mode event.
enum ModeOption: String, ExpressibleByArgument, CaseIterable {
    case live, test

    var mode: SignatureDiagnosis.Mode {
        switch self {
        case .live: .live
        case .test: .test
        }
    }
}
