// Read an .ics file with Mozilla's ical.js and print what a calendar program would see, as JSON.
//
//   node tests/js/read_ics.mjs FILE [N]
//
// Every VTIMEZONE in the file is registered with ical.js first (ical.js has no time zone
// database of its own, so the UTC instants below come only from the file's VTIMEZONE).  For
// each VEVENT it prints the UID, SUMMARY, SEQUENCE, STATUS, start and end (local wall-clock time, UTC
// instant, zone, whether it is a date), the recurrence rule and EXDATEs as read, the alarms,
// and the first N occurrences (default 60) expanded with ical.js's own RecurExpansion, which
// honours EXDATE.  Used by tests/calendar/test_ics_readers.py.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [path, limitText] = process.argv.slice(2);
if (!path) {
  console.error("usage: node read_ics.mjs FILE [N]");
  process.exit(2);
}
const limit = Number.parseInt(limitText ?? "60", 10);

const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));

const zones = [];
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  const zone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(zone, zone.tzid);
  zones.push(zone.tzid);
}

function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

function localText(t) {
  const day = `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
  return t.isDate ? day : `${day}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

function moment(t) {
  if (!t) {
    return null;
  }
  const zone = t.zone ? t.zone.tzid : null;
  return {
    local: localText(t),
    utc: t.isDate ? null : t.toJSDate().toISOString().replace(".000Z", "Z"),
    zone,
    isDate: t.isDate,
  };
}

const events = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const occurrences = [];
  if (event.isRecurring()) {
    const expansion = event.iterator();
    let next;
    while (occurrences.length < limit && (next = expansion.next())) {
      const details = event.getOccurrenceDetails(next);
      occurrences.push({ start: moment(details.startDate), end: moment(details.endDate) });
    }
  } else {
    occurrences.push({ start: moment(event.startDate), end: moment(event.endDate) });
  }
  const exdates = [];
  for (const prop of vevent.getAllProperties("exdate")) {
    for (const value of prop.getValues()) {
      exdates.push(moment(value));
    }
  }
  const rrule = vevent.getFirstPropertyValue("rrule");
  events.push({
    uid: event.uid,
    summary: event.summary,
    sequence: event.sequence,
    start: moment(event.startDate),
    end: moment(event.endDate),
    transp: vevent.getFirstPropertyValue("transp"),
    status: vevent.getFirstPropertyValue("status"),
    rrule: rrule ? rrule.toString() : null,
    exdates,
    alarms: vevent.getAllSubcomponents("valarm").map((alarm) => ({
      action: alarm.getFirstPropertyValue("action"),
      trigger: String(alarm.getFirstPropertyValue("trigger")),
      description: alarm.getFirstPropertyValue("description"),
    })),
    occurrences,
  });
}

process.stdout.write(JSON.stringify({
  version: calendar.getFirstPropertyValue("version"),
  prodid: calendar.getFirstPropertyValue("prodid"),
  method: calendar.getFirstPropertyValue("method"),
  timezones: zones,
  events,
}, null, 1) + "\n");
