//! Complaints on the citizen's side, in the browser app (and rendered by
//! the server first, like every citizen page): the form that keeps a
//! complaint on the device and makes its tracking code, offline too; the
//! receipt; and the complaints filed on this device.

#[cfg(not(feature = "ssr"))]
mod device;
mod form;
mod mine;
mod receipt;

#[cfg(not(feature = "ssr"))]
pub use device::DeviceComplaintPage;
pub use form::FileComplaintPage;
pub use mine::MyComplaintsPage;
// The server's tracking page uses these too.
#[cfg(feature = "ssr")]
pub use {mine::Find, receipt::Receipt};

use crate::domain::complaint::Privacy;
use crate::text::Msg;

/// A privacy choice's name for people.
pub fn privacy_name(p: Privacy) -> Msg {
    match p {
        Privacy::Anonim => Msg::PrivacyAnonim,
        Privacy::Publik => Msg::PrivacyPublik,
        Privacy::Rahasia => Msg::PrivacyRahasia,
    }
}

/// What a privacy choice means, in one line.
fn privacy_hint(p: Privacy) -> Msg {
    match p {
        Privacy::Anonim => Msg::PrivacyAnonimHint,
        Privacy::Publik => Msg::PrivacyPublikHint,
        Privacy::Rahasia => Msg::PrivacyRahasiaHint,
    }
}

/// Today on the device's calendar, `YYYY-MM-DD` (the browser only).
fn today() -> Option<String> {
    #[cfg(feature = "csr")]
    {
        let d = js_sys::Date::new_0();
        Some(format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        ))
    }
    #[cfg(not(feature = "csr"))]
    None
}
