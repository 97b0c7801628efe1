import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { matchesSelector, type LabelSelector } from '@flotilla/core';
import { assertValidSelector } from '../target/label.validation.js';
import { FanoutQueue } from '../delivery/fanout.queue.js';
import { ClusterService, type ClusterView } from './cluster.service.js';
import { assertGroupUnused } from './cluster-group-usage.js';
import { requestBundleSetEvaluation } from '../database/bundleset-inputs.js';

export interface ClusterGroupInput {
  name: string;
  description?: string;
  selector: LabelSelector;
}

export interface ClusterGroupView {
  id: string;
  name: string;
  description: string;
  selector: LabelSelector;
  /** Computed from the selector at read time. */
  members: Pick<ClusterView, 'id' | 'name' | 'connection'>[];
  createdAt: string;
}

@Injectable()
export class ClusterGroupService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterService) private readonly clusters: ClusterService,
    @Inject(FanoutQueue) private readonly fanout: FanoutQueue,
  ) {}

  async create(input: ClusterGroupInput): Promise<ClusterGroupView> {
    assertValidSelector(input.selector);
    try {
      const row = await this.prisma.clusterGroup.create({
        data: { name: input.name, description: input.description ?? '', selector: input.selector as Prisma.InputJsonValue },
      });
      // Bundles may target the group by name.
      await requestBundleSetEvaluation(this.prisma, { clusters: true });
      await this.fanout.reconcileAll();
      return this.withMembers(row);
    } catch (error) {
      throw mapUnique(error, input.name);
    }
  }

  /** One page of groups by name (unique, so the whole sort key), optionally by name prefix. */
  async list(filter: { namePrefix?: string | undefined }, page: PageRequest): Promise<Page<ClusterGroupView>> {
    const after = decodeCursor(page.cursor, 1)?.[0];
    const rows = await this.prisma.clusterGroup.findMany({
      where: {
        ...(after !== undefined ? { name: { gt: after } } : {}),
        ...(filter.namePrefix ? { AND: [{ name: { startsWith: filter.namePrefix } }] } : {}),
      },
      orderBy: { name: 'asc' },
      take: page.limit + 1,
    });
    const clusters = rows.length > 0 ? await this.clusters.matching() : [];
    return toPage(rows, page.limit, (r) => [r.name], (row) => toView(row, clusters));
  }

  async get(id: string): Promise<ClusterGroupView> {
    const row = await this.prisma.clusterGroup.findUnique({ where: { id } });
    if (!row) throw notFound(id);
    return this.withMembers(row);
  }

  async update(id: string, input: Partial<ClusterGroupInput>): Promise<ClusterGroupView> {
    if (input.selector) assertValidSelector(input.selector);
    if (input.name !== undefined) {
      const current = await this.prisma.clusterGroup.findUnique({ where: { id }, select: { name: true } });
      if (!current) throw notFound(id);
      // Renaming would silently untarget the bundles that name the group.
      if (current.name !== input.name) await assertGroupUnused(this.prisma, current.name, 'rename', 'name');
    }
    try {
      const row = await this.prisma.clusterGroup.update({
        where: { id },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.selector !== undefined ? { selector: input.selector as Prisma.InputJsonValue } : {}),
        },
      });
      await requestBundleSetEvaluation(this.prisma, { clusters: true });
      await this.fanout.reconcileAll();
      return this.withMembers(row);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') throw notFound(id);
      throw mapUnique(error, input.name ?? '');
    }
  }

  /** Deletes a group; refused (ClusterGroupInUse) while a bundle targets it by name. */
  async delete(id: string): Promise<void> {
    const current = await this.prisma.clusterGroup.findUnique({ where: { id }, select: { name: true } });
    if (!current) throw notFound(id);
    await assertGroupUnused(this.prisma, current.name, 'delete');
    const result = await this.prisma.clusterGroup.deleteMany({ where: { id } });
    if (result.count === 0) throw notFound(id);
    await requestBundleSetEvaluation(this.prisma, { clusters: true });
    await this.fanout.reconcileAll();
  }

  private async withMembers(row: GroupRow): Promise<ClusterGroupView> {
    return toView(row, await this.clusters.matching(row.selector as LabelSelector));
  }
}

interface GroupRow {
  id: string;
  name: string;
  description: string;
  selector: unknown;
  createdAt: Date;
}

function toView(row: GroupRow, clusters: ClusterView[]): ClusterGroupView {
  const selector = row.selector as LabelSelector;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    selector,
    members: clusters
      .filter((c) => matchesSelector(selector, c.labels))
      .map((c) => ({ id: c.id, name: c.name, connection: c.connection })),
    createdAt: row.createdAt.toISOString(),
  };
}

function notFound(id: string): DomainError {
  return new DomainError('ClusterGroupNotFound', `cluster group ${id} not found`);
}

function mapUnique(error: unknown, name: string): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    return new DomainError('ClusterGroupExists', `a cluster group named "${name}" already exists`, { field: 'name', cause: error });
  }
  return error;
}
