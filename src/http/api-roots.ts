/** The API is served under both roots: the TMF688 one and the one ODA components use. */
export const API_ROOTS = ['/tmf-api/event/v4', '/tmf-api/eventManagement/v4'] as const;
