/** A `DATE` column as read by Prisma (midnight UTC) in ISO 8601 calendar form, `YYYY-MM-DD`. */
export const calendarDate = (date: Date) => date.toISOString().slice(0, 10);
