//! Calendar dates for the rounds of a negotiation: plain `YYYY-MM-DD` arithmetic on the
//! proleptic Gregorian calendar (Hinnant's `days_from_civil`), no clock and no time zones.

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or `None` if it is not one.
pub fn days(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `YYYY-MM-DD` date `days` after 1970-01-01.
pub fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The date of each round `0..=rounds`, evenly spaced from `as_of` (round 0) to `deadline`
/// (the last round); `None` unless both dates are known and in order.
pub fn round_dates(
    as_of: Option<&str>,
    deadline: Option<&str>,
    rounds: u32,
) -> Option<Vec<String>> {
    let (start, end) = (days(as_of?)?, days(deadline?)?);
    if end < start || rounds == 0 {
        return None;
    }
    let span = (end - start) as f64;
    Some(
        (0..=rounds)
            .map(|k| {
                #[allow(clippy::cast_possible_truncation)] // within the span of two dates
                let offset = (span * f64::from(k) / f64::from(rounds)).round() as i64;
                date(start + offset)
            })
            .collect(),
    )
}

/// "June 2024" for `2024-06-12`.
pub fn month_year(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = date
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .filter(|m| (1..=12).contains(m));
    match (date.get(..4), month) {
        (Some(y), Some(m)) => format!("{} {y}", MONTHS[m - 1]),
        _ => date.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_rounds_are_evenly_spaced() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(date(days("2024-02-29").unwrap()), "2024-02-29");
        assert_eq!(
            round_dates(Some("2023-11-28"), Some("2024-07-09"), 2).unwrap(),
            vec!["2023-11-28", "2024-03-19", "2024-07-09"]
        );
        assert_eq!(month_year("2024-06-12"), "June 2024");
    }
}
