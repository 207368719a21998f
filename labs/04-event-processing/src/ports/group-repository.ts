export interface Group {
  groupId: string;
  name: string;
  description: string;
  createdAt: string;
}

/** Where groups are kept. */
export interface GroupRepository {
  save(group: Group): Promise<void>;
  exists(groupId: string): Promise<boolean>;
}
